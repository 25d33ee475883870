namespace Cases;

public record Address(string Street, string City, string Zip)
{
    public string Label() => Street + ", " + City;
}
