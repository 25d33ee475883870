namespace WebShop.Web.Middleware;

/// <summary>
/// Gives every response an <c>X-Request-Id</c>: the caller's, when it sent one, so a request can be
/// followed through the logs of every service it crosses; a new one otherwise.
/// </summary>
public sealed class RequestIdMiddleware
{
    public const string Header = "X-Request-Id";

    private readonly RequestDelegate _next;

    public RequestIdMiddleware(RequestDelegate next)
    {
        _next = next;
    }

    public Task InvokeAsync(HttpContext context)
    {
        string id = context.Request.Headers[Header] is [{ Length: > 0 } given] ? given : context.TraceIdentifier;
        context.Response.Headers[Header] = id;
        return _next(context);
    }
}
