using Microsoft.AspNetCore.Mvc;
using PatchGen.Macro.WebApp.Catalog;

namespace PatchGen.Macro.WebApp.Controllers;

/// <summary>The MVC side of the app: catalogue reports through a controller, model binding and filters.</summary>
[ApiController]
[Route("reports")]
public sealed class ReportsController(ProductCatalog catalog) : ControllerBase
{
    [HttpGet("categories")]
    public ActionResult<IReadOnlyList<CategorySummary>> Categories() => Ok(catalog.Summaries());

    [HttpGet("categories/{category}")]
    public ActionResult<CategorySummary> Category(string category)
        => catalog.Summaries().FirstOrDefault(s => s.Category == category) is { } summary ? Ok(summary) : NotFound();
}
