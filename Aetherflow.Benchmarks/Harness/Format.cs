using System.Globalization;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>Numbers for the report: three significant digits, thousands separated.</summary>
internal static class Format
{
    public static string Number(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "–";
        }

        double magnitude = Math.Abs(value);
        string format = magnitude >= 1000 ? "#,0" : magnitude >= 100 ? "0" : magnitude >= 10 ? "0.0" : magnitude >= 1 ? "0.00" : "0.000";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }
}
