using System;
using System.Threading.Tasks;

await Task.Yield();
var name = args.Length > 0 ? args[0] : "world";
Console.WriteLine("Serving " + name + " (fixed)");
