using System.Globalization;
using System.Text.RegularExpressions;

namespace Presence.Web.Tests.Support;

/// <summary>Reads values out of a Prometheus text exposition (<c>GET /metrics</c>).</summary>
public static partial class PrometheusText
{
    /// <summary>Sum of the samples of <paramref name="name"/> carrying every label in <paramref name="labels"/> (0 when none).</summary>
    public static double Value(string exposition, string name, params (string Label, string Value)[] labels)
    {
        var total = 0.0;
        foreach (Match m in Sample().Matches(exposition))
        {
            if (m.Groups["name"].Value != name) continue;
            var text = m.Groups["labels"].Value;
            if (labels.All(l => text.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                total += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return total;
    }

    /// <summary>Scrapes until <paramref name="until"/> holds for the value (the exporter caches a scrape for 300 ms); gives up after 30 s.</summary>
    public static async Task<double> WaitForAsync(HttpClient client, Func<double, bool> until, string name, params (string Label, string Value)[] labels)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var value = Value(await client.GetStringAsync("/metrics"), name, labels);
            if (until(value)) return value;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{name}{{{string.Join(",", labels.Select(l => $"{l.Label}=\"{l.Value}\""))}}} is still {value} after 30 s");
            }
            await Task.Delay(100); // the next scrape is the only thing to wait for
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
