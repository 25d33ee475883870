using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Cases;

public sealed class Router
{
    private readonly Dictionary<string, Func<string, Task<string>>> _routes = new();

    public void Map(string path, Func<string, Task<string>> handler) => _routes[path] = handler;

    public Task<string> Handle(string path, string input) => _routes[path](input);
}

public class Shop
{
    private readonly int _rate;

    public Shop(int rate)
    {
        _rate = rate;
    }

    public Router Configure(string greeting)
    {
        var router = new Router();
        router.Map("/static", s => Task.FromResult(s.ToUpperInvariant()));
        router.Map("/greet", s => Task.FromResult(greeting + ", " + s));
        router.Map("/price", s => Task.FromResult((int.Parse(s) * _rate).ToString()));
        router.Map("/async", async s =>
        {
            await Task.Yield();
            return Reverse(s);
        });
        router.Map("/later", async s =>
        {
            await Task.Yield();
            return greeting + " later, " + s + "";
        });
        router.Map("/words", s => Task.FromResult(string.Join(",", s.Split(' ').Select(w => w.Length))));
        return router;

        static string Reverse(string s) => new string(s.Reverse().ToArray());
    }
}
