from tfgen.hcl import Expr, quote, to_hcl


def test_strings_cannot_inject_interpolation() -> None:
    assert quote('a "b" ${c} %{d} \\ e\n') == '"a \\"b\\" $${c} %%{d} \\\\ e\\n"'


def test_values() -> None:
    assert to_hcl(None) == "null"
    assert to_hcl(True) == "true"
    assert to_hcl(3) == "3"
    assert to_hcl(["a", 1]) == '["a", 1]'
    assert to_hcl(Expr("module.network.vpc_id")) == "module.network.vpc_id"
    assert (
        to_hcl({"Name": "x", "cost-center": "1", "a:b": 2})
        == '{\n  Name = "x"\n  cost-center = "1"\n  "a:b" = 2\n}'
    )
    assert to_hcl({}) == "{}"
