namespace Cases;

public class Customer
{
    private int _loyaltyPoints;
    private string _name = "";

    public string Describe() => _name + " (" + _loyaltyPoints + " points)";
}
