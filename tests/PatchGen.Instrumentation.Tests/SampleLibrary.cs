namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// A library that exercises every shape of method the instrumenter rewrites. <c>Checks</c> runs each
/// feature and describes what happened as a string, so the original and the instrumented build can be
/// compared by value. Line numbers of <c>Thrower.Fail</c> matter to the PDB test.
/// </summary>
internal static class SampleLibrary
{
    public const string Name = "Sample";

    /// <summary>The line (1-based) of the throw statement in <c>Thrower.Fail</c>.</summary>
    public static int ThrowLine => Source.Split('\n').Select((l, i) => (l, i)).First(p => p.l.Contains("THROW-HERE")).i + 1;

    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        namespace Lib;

        public static class Thrower
        {
            public static int Fail(int x)
            {
                if (x > 0)
                    throw new InvalidOperationException("boom " + x); // THROW-HERE
                return x;
            }
        }

        public class Calc
        {
            public static readonly List<string> Log = new();
            public int Last { get; set; }
            public int Add(int a, int b) => a + b;
            public static int Fact(int n) => n <= 1 ? 1 : n * Fact(n - 1);
            public static int Depth(int n) => n == 0 ? 0 : 1 + Depth(n - 1);
            public static int Probe(int n, Func<int> probe) => n == 0 ? probe() : Probe(n - 1, probe);
            public static void Swap(ref int a, ref int b) { var t = a; a = b; b = t; }
            public static bool TryParse(string s, out int v) => int.TryParse(s, out v);
            public static void Out(out int v) { v = 5; }
            public int this[int i] { get => i * 2; set => Last = value + i; }
            public static Calc operator +(Calc a, Calc b) => new Calc { Last = a.Last + b.Last };
            public static implicit operator int(Calc c) => c.Last;
            public static string Nested(int x)
            {
                try
                {
                    try
                    {
                        if (x == 1) throw new ArgumentException("a");
                        if (x == 2) throw new ArgumentException("b");
                        if (x == 3) throw new InvalidOperationException("c");
                        return "none";
                    }
                    catch (ArgumentException e) when (e.Message == "a") { return "filtered"; }
                    finally { Log.Add("inner finally " + x); }
                }
                catch (ArgumentException e) { return "outer " + e.Message; }
                finally { Log.Add("outer finally " + x); }
            }
            public static int Loop(int n) { int s = 0; while (true) { if (n-- <= 0) return s; s += n; } }
            public static void Forever() { try { while (true) { throw new TimeoutException(); } } finally { Log.Add("forever"); } }
        }

        public struct Counter
        {
            public int Value;
            public string Name;
            public Counter(int start) { Value = start; Name = "c" + start; }
            public Counter(string name) : this(name.Length) { Name = name; }
            public void Increment() => Value++;
            public int AddTwice(int x) { Increment(); Value += x; return Value; }
            public readonly int Peek() => Value;
            public override string ToString() => Name + "=" + Value;
        }

        public class Base
        {
            protected readonly List<string> Trace = new() { "init" };
            public Base(string s) { Trace.Add("base " + s); }
        }

        public class Derived : Base
        {
            private int _f = 7;
            private readonly string _g = "g" + DateTime.MinValue.Year;
            public Derived(int x) : base("d" + x) { Trace.Add("derived " + _f + _g); }
            public Derived() : this(99) { Trace.Add("chained"); }
            public string Describe() => string.Join(",", Trace);
        }

        public interface IShape
        {
            double Area();
            string Describe() => "shape of area " + Area();
            static virtual string Kind() => "shape";
        }

        public class Square : IShape
        {
            public double Side;
            public double Area() => Side * Side;
        }

        public class Box<T> where T : IComparable<T>
        {
            public T Value;
            public Box(T value) { Value = value; }
            public U Convert<U>(Func<T, U> f) where U : class => f(Value);
            public static Box<T> Of(T v) => new Box<T>(v);
            public static int Count;
            public static int Bump() => ++Count;
            public bool Greater<V>(V other, Func<V, T> map) where V : struct, IComparable<V> => Value.CompareTo(map(other)) > 0;
            public string Describe<U>(U u) => Value + "/" + u;
            public T Get() => Value;
        }

        public struct Pair<A, B> where A : struct
        {
            public A First;
            public B Second;
            public Pair(A a, B b) { First = a; Second = b; }
            public void SetFirst(A a) => First = a;
            public override string ToString() => First + ":" + Second;
        }

        public static class Generic
        {
            public static T Max<T>(T a, T b) where T : IComparable<T> => a.CompareTo(b) >= 0 ? a : b;
            public static T Make<T>() where T : class, new() => new T();
            public static string Join<TList, TItem>(TList list) where TList : IEnumerable<TItem> where TItem : notnull => string.Join("+", list);
            public static int Len<T>(T[] xs) where T : struct => xs.Length;
            public static T Id<T>(T x) => x;
        }

        public static class Flows
        {
            public static async Task<int> DelayAdd(int a) { await Task.Delay(20); return a + 1; }
            public static async Task Throwing() { await Task.Delay(5); throw new FormatException("late"); }
            public static IEnumerable<int> Range(int n) { for (int i = 0; i < n; i++) yield return i * i; }
            public static async IAsyncEnumerable<int> RangeAsync(int n) { for (int i = 0; i < n; i++) { await Task.Delay(1); yield return i; } }
            public static int Sum(int[] xs) { int total = 0; Array.ForEach(xs, x => total += x); return total; }
            public static int Local(int n) { return Twice(n) + Static(n); int Twice(int x) => x * 2 + n; static int Static(int y) => y; }
            public static Func<int, int> Adder(int k) => x => x + k;
        }

        public static unsafe class Memory
        {
            private static int s_cell = 3;
            public static ref int Cell() => ref s_cell;
            public static ref readonly int ReadOnlyCell() => ref s_cell;
            public static int SumSpan(ReadOnlySpan<int> s) { int t = 0; foreach (var x in s) t += x; return t; }
            public static void Fill(Span<int> s, int v) => s.Fill(v);
            public static int Deref(int* p) => *p;
            public static int Stack() { Span<int> s = stackalloc int[4]; s[2] = 9; return SumSpan(s); }
        }

        public static class Checks
        {
            public static string Recursion() => Calc.Fact(10) + " " + Calc.Depth(200);
            public static string RefOut() { int a = 1, b = 2; Calc.Swap(ref a, ref b); Calc.TryParse("42", out var v); Calc.Out(out var w); return $"{a} {b} {v} {w}"; }
            public static string Members() { var c = new Calc(); c[3] = 4; var d = c + new Calc { Last = 10 }; int i = d; return $"{c[5]} {c.Last} {i} {c.Add(2, 3)}"; }
            public static string Exceptions() { var r = new List<string>(); for (int x = 0; x < 4; x++) { try { r.Add(Calc.Nested(x)); } catch (Exception e) { r.Add("escaped " + e.Message); } } try { Thrower.Fail(3); } catch (InvalidOperationException e) { r.Add(e.Message); } try { Calc.Forever(); } catch (TimeoutException) { r.Add("timeout"); } return string.Join(";", r) + "|" + string.Join(";", Calc.Log.TakeLast(9)); }
            public static string Structs() { var c = new Counter(3); c.Increment(); var n = c.AddTwice(10); var s = new Counter("abcd"); s.Increment(); return $"{c} {n} {c.Peek()} {s}"; }
            public static string Constructors() => new Derived(5).Describe() + "|" + new Derived().Describe();
            public static string Interfaces() { IShape s = new Square { Side = 3 }; return s.Describe() + " " + Kind<Square>(); }
            private static string Kind<T>() where T : IShape => T.Kind();
            public static string Generics() { var b = Box<int>.Of(5); Box<int>.Bump(); Box<string>.Bump(); Box<string>.Bump(); var p = new Pair<int, string>(1, "x"); p.SetFirst(8); return $"{b.Convert(v => "v" + v)} {b.Greater(3L, l => (int)l)} {b.Describe(2.5)} {Box<int>.Count} {Box<string>.Count} {p} {Generic.Max(3, 9)} {Generic.Max("a", "b")} {Generic.Make<List<int>>().Count} {Generic.Join<List<int>, int>(new() { 1, 2 })} {Generic.Len(new[] { 1L, 2L })} {Generic.Id<object?>(null) is null} {new Box<string>("s").Get()}"; }
            public static string Async() { var r = Flows.DelayAdd(4).GetAwaiter().GetResult(); string t; try { Flows.Throwing().GetAwaiter().GetResult(); t = "none"; } catch (FormatException e) { t = e.Message; } return $"{r} {t}"; }
            public static string Iterators() { var list = new List<int>(); var e = Flows.RangeAsync(4).GetAsyncEnumerator(); while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult()) list.Add(e.Current); return string.Join(",", Flows.Range(5)) + "|" + string.Join(",", list); }
            public static string Closures() => $"{Flows.Sum(new[] { 1, 2, 3 })} {Flows.Local(4)} {Flows.Adder(3)(4)}";
            public static unsafe string Pointers() { Memory.Cell() = 11; int x = 6; Span<int> s = stackalloc int[3]; Memory.Fill(s, 2); return $"{Memory.ReadOnlyCell()} {Memory.Deref(&x)} {Memory.SumSpan(s)} {Memory.Stack()} {Calc.Loop(5)}"; }
        }

        public static class Replacements
        {
            public static int Add(Calc self, int a, int b) => 1000 + a + b;
            public static int Fact(int n) => -n;
            public static int AddTwice(ref Counter self, int x) { self.Value = -x; return 77; }
            public static void CounterCtor(ref Counter self, int start) { self.Value = start * 100; self.Name = "patched"; }
            public static void DerivedCtor(Derived self, int x) { Calc.Log.Add("derived ctor patched " + x); }
            public static string Describe<T, U>(Box<T> self, U u) where T : IComparable<T> => "patched " + typeof(T).Name + "/" + typeof(U).Name + " " + u;
        }
        """;
}
