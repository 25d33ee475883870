namespace Cases;

public class Greeting
{
    private static readonly char[] Separators = { ' ', '\t', '_' };

    private readonly string _name;

    public Greeting(string name) => _name = name;

    public string Text() => "Hello, " + string.Join(" ", _name.Split(Separators, System.StringSplitOptions.RemoveEmptyEntries)) + "!";
}
