namespace Cases;

public class Greeter(string shopName)
{
    public string Title { get; } = shopName.ToUpperInvariant();

    public string Greet(string customer) => "Welcome to " + shopName + ", " + customer;
}
