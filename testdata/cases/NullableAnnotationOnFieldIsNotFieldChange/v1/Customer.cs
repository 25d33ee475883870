namespace Cases;

public class Customer
{
#nullable disable
    private string _nickname;
#nullable enable

    public string Greeting() => "Hello " + (_nickname ?? "there");
}
