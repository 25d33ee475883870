namespace Cases;

public class Orders
{
    public string Label(int id)
    {
        return "#" + id;
    }
}
