namespace Cases;

public interface IOrderStore
{
    void Save(int orderNumber);

    void Purge();
}
