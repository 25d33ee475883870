namespace WebShop.Domain.Catalog;

/// <summary>The catalogue, as the domain needs it; WebShop.Infrastructure implements it.</summary>
public interface IProductCatalog
{
    Product? Find(string sku);

    /// <summary>Every product, or those of <paramref name="category"/>, ordered by SKU.</summary>
    IReadOnlyList<Product> All(string? category);

    /// <summary>Products whose name contains <paramref name="term"/>, ordered by SKU.</summary>
    IReadOnlyList<Product> Search(string term);
}
