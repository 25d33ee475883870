namespace Cases;

public class Customer
{
    public string Name { get => field ?? ""; set; }
}
