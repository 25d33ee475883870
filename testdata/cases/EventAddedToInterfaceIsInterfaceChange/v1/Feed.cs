using System;

namespace Cases;

public interface IPriceFeed
{
    decimal Latest { get; }
}
