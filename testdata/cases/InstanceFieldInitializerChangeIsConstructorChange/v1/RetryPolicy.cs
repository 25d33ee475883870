namespace Cases;

public class RetryPolicy
{
    private int _attempts = 3;
    private readonly string _name;

    public RetryPolicy()
    {
        _name = "default";
    }

    public RetryPolicy(string name)
    {
        _name = name;
    }

    public RetryPolicy(string name, int attempts) : this(name)
    {
        _attempts = attempts;
    }

    public string Describe() => _name + " x" + _attempts;
}
