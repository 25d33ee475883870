namespace Cases;

public class Greeter
{
    public string Hello() => Format("world");

    public string Format(string name) => "hello " + name;
}
