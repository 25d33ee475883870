using System;

namespace Cases
{
    public static class Geometry
    {
        public static double Distance(
            double x1,
            double y1,
            double x2,
            double y2)
        {
            var dx = x2 - x1;
            var dy = y2 - y1;
            return Math.Sqrt((dx * dx) + (dy * dy));
        }

        public static bool Inside(double x, double y, double radius)
        {
            if (x * x + y * y <= radius * radius)
                return true;

            return false;
        }
    }
}
