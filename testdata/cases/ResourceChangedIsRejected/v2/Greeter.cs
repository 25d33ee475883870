namespace Cases;

public static class Greeter
{
    public static string Hello() => "Hello";
}
