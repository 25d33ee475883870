using System;
using System.Linq;

var words = args.Where(a => a.Length > 2).ToArray();
Console.WriteLine(string.Join(",", words));
Console.WriteLine(Shout("done"));

static string Shout(string text) => text.ToUpperInvariant();
