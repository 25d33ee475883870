namespace Cases;

public class Customer
{
    private string _name = "";
    private int _loyaltyPoints;

    public string Describe() => _name + " (" + _loyaltyPoints + " points)";
}
