namespace Cases;

public class Orders
{
    public string Label(int id)
    {
        return OrderLabel.Format(id);
    }
}

public static class OrderLabel
{
    public static string Format(int id) => "ORD-" + id.ToString("D6");
}
