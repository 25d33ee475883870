namespace Cases;

public class Customer
{
    public string Name { get; set; } = "";

    public string Greeting() => "Hello, " + Name;
}
