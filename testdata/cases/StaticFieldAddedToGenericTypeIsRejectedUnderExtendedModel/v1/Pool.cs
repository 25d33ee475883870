namespace Cases;

public static class Pool<T> where T : new()
{
    public static T Rent() => new T();
}
