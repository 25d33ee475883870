namespace Cases;

public class Customer
{
    // The fix trims the name where it is read: C# 14's `field` gives the auto-property's getter a body.
    public string Name { get => field.Trim(); set; } = "";

    public string Greeting() => "Hello, " + Name;
}
