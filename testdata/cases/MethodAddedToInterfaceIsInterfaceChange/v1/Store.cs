namespace Cases;

public interface IOrderStore
{
    void Save(int orderNumber);
}

public class MemoryOrderStore : IOrderStore
{
    private readonly System.Collections.Generic.HashSet<int> _orders = new();

    public void Save(int orderNumber) => _orders.Add(orderNumber);

    public bool Delete(int orderNumber) => _orders.Remove(orderNumber);
}
