namespace Cases;

public class Customer
{
    private string? _nickname;

    public string Greeting() => "Hello " + (_nickname ?? "there");
}
