namespace Cases;

public class Order
{
    private readonly int _lines;

    public Order(int lines) => _lines = lines;

    public long LineCount => _lines;
}
