// Every shape a type reference takes in metadata that C# can produce, in signatures and in code:
// generic instances (nested ones carry every level's arguments), type and method generic parameters,
// vectors and multi-dimensional arrays, byrefs, pointers, pinned locals, varargs sentinels, required
// and optional modifiers, function pointers; and the members documentation IDs must name alike in
// Cecil, Roslyn and reflection: operators, conversions, constructors, indexers, explicit interface
// implementations. Read by the type-reference key pins and the documentation-ID parity test, never diffed.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

public class GlobalType
{
    public class NestedInGlobal { public int Value; }
    public NestedInGlobal Make() => new();
}

namespace Shapes.Inner
{
    public unsafe class Outer<T>
    {
        public class Nested<U>
        {
            public void M<V>(T t, U u, V v, List<T>.Enumerator e, Dictionary<int, Nested<U>> d) { }
            public Nested<U>? Self;

            public class Deepest<W>
            {
                public Outer<W>.Nested<T>.Deepest<U>? Back;
                public static Outer<U>.Nested<W>.Deepest<T>? Forth<X>(X x, W w, U u, T t) => null;
            }
        }

        public struct Plain { public int X; }

        public volatile int Flag;
        public static volatile Outer<T>? Shared;
        public Plain* Cursor;
        public delegate*<int, string> Callback;

        public void Arrays(int[] a, int[,] b, int[][] c, string[,,] d, T[,][] e, Nested<T>[]? f) { }
        public void Refs(ref int a, out int b, in int c, ref readonly int d, ref T e, out Nested<int>? f) { b = 0; f = null; }
        public ref readonly int RefReadonlyReturn(ref int x) => ref x;
        public ref T RefReturn(T[] items) => ref items[0];
        public void Pointers(int* p, void** q, Plain* r, delegate*<void>* s) { }
        public void FunctionPointers(
            delegate*<int, string> managed,
            delegate* unmanaged<int, void> unmanaged,
            delegate* unmanaged[Cdecl]<int, int> cdecl,
            delegate* unmanaged[Stdcall, SuppressGCTransition]<void> stdcall,
            delegate*<ref int, in int, out int, ref readonly int> refs,
            delegate*<T, delegate*<T[], void>, Nested<T>> nested) { }
        public int Invoke(delegate*<int, int> f, int x) => f(x);
        public void InvokeUnmanaged(delegate* unmanaged[Cdecl]<int, void> f) => f(1);
        public void Generic<A, B>(A a, B[] b, Func<A, B> f, Dictionary<A, List<B>> g) where A : class, new() where B : struct { }
        public void Constrained<X, Y>(X x, Y y) where X : unmanaged where Y : IComparable<Y>, IEquatable<X> { }
        public void Tuples((int a, string b) t, ValueTuple<int, int> v, (T, (T, int)) w) { }
        public void Nullables(int? a, string? b, List<int?> c, T? d) { }
        public void Params(params object[] args) { }
        public T this[int i, string s] { get => default!; set { } }
        public Nested<T> this[T key] => new();
        public event EventHandler<EventArgs>? Changed;
        public static Outer<T> operator +(Outer<T> a, Outer<T> b) => a;
        public static bool operator ==(Outer<T> a, int b) => true;
        public static bool operator !=(Outer<T> a, int b) => false;
        public static implicit operator int(Outer<T> o) => 0;
        public static explicit operator Outer<T>(long l) => new();
        public static explicit operator T[](Outer<T> o) => Array.Empty<T>();
        public override bool Equals(object? obj) => false;
        public override int GetHashCode() => 0;
        public Outer() { }
        public Outer(T value, ref int count) { count++; }
        static Outer() { }
        ~Outer() { }
        public const int Answer = 42;
        public int Auto { get; init; }

        public int Pinned(int[] data) { fixed (int* p = data) return *p; }
        public int PinnedString(string s) { fixed (char* p = s) return *p; }
        public int StackAlloc() { Span<int> s = stackalloc int[4]; return s[0]; }
        public Func<T, U2> Lambda<U2>(U2 u) => t => u;
        public int Local(int x) { return Twice(x); int Twice(int y) => y * 2; }
        public Type Tokens() => typeof(Dictionary<,>);
        public object Box(T t) => t!;
        public T[,] MakeGrid() => new T[2, 3];
        public int Grid(int[,] g) => g[1, 1];
    }

    // State machines, apart: C# allows neither await nor yield in an unsafe context.
    public class Machines<T>
    {
        public IEnumerable<T> Iterator(T t) { yield return t; }
        public async Task<T> Async(T t) { await Task.Yield(); return t; }
        public async IAsyncEnumerable<Outer<T>.Nested<int>> Stream(T[] items) { foreach (var item in items) { await Task.Yield(); yield return new(); } }
    }

    public interface IShape<TArea>
    {
        TArea Area();
        int Sides { get; }
        event EventHandler? Moved;
        TArea this[int i] { get; }
    }

    public sealed class Square : IShape<double>, IEnumerable<int>, IEquatable<Square>, IComparable<Outer<int>.Nested<string>>
    {
        double IShape<double>.Area() => 1;
        int IShape<double>.Sides => 4;
        event EventHandler? IShape<double>.Moved { add { } remove { } }
        double IShape<double>.this[int i] => i;
        IEnumerator<int> IEnumerable<int>.GetEnumerator() { yield return 1; }
        IEnumerator IEnumerable.GetEnumerator() => throw null!;
        bool IEquatable<Square>.Equals(Square? other) => true;
        int IComparable<Outer<int>.Nested<string>>.CompareTo(Outer<int>.Nested<string>? other) => 0;
    }

    public class Legacy
    {
        public void Varargs(int a, __arglist) { }
        public void OnlyVarargs(__arglist) { }
        public void Call()
        {
            Varargs(1, __arglist(2, "x"));
            OnlyVarargs(__arglist());
            OnlyVarargs(__arglist(1L, new int[0]));
        }
    }

    public ref struct RefHolder
    {
        public ref int Target;
        public ref readonly int ReadOnlyTarget;
    }

    public unsafe struct Buffer
    {
        public fixed int Items[4];
    }

    [InlineArray(4)]
    public struct Four<T>
    {
        private T _element;
    }

    public delegate TResult Transformer<in TIn, out TResult>(TIn input);
    public record Point(int X, int Y) { public Point Move(int dx) => this with { X = X + dx }; }
    public record struct Money(decimal Amount);
    public enum Color : byte { Red = 1, Green = 2 }
    public static class Extensions { public static int Twice(this int x) => x * 2; }
}
