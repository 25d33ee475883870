namespace Golden;

// Auto-property accessors (instance and static, get, set and init) get no site: they are left exactly
// as the compiler wrote them. An accessor with a body of its own gets one, even one as small as an
// auto-property's (it reads a field that is not a backing field).
public class Customer
{
    private int _age;

    public string Name { get; set; } = "";

    public static int Created { get; private set; }

    public int Score { get; init; }

    public int Age
    {
        get => _age;
        set => _age = value < 0 ? 0 : value;
    }
}
