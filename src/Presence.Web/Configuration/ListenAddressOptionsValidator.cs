using System.Globalization;
using Microsoft.Extensions.Options;

namespace Presence.Web.Configuration;

/// <summary>Checks <see cref="ListenAddressOptions"/>: every URL and port must parse, or the service does not start.</summary>
internal sealed class ListenAddressOptionsValidator : IValidateOptions<ListenAddressOptions>
{
    public ValidateOptionsResult Validate(string? name, ListenAddressOptions o)
    {
        var errors = new List<string>();
        foreach (var url in Split(o.Urls))
        {
            if (!IsValidUrl(url))
            {
                errors.Add($"urls: '{url}' is not a valid listen address; expected http(s)://host[:port] with a port 0..65535, e.g. {ListenAddressOptions.DefaultUrl} (several separated by ';').");
            }
        }
        CheckPorts("http_ports", o.HttpPorts, errors);
        CheckPorts("https_ports", o.HttpsPorts, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void CheckPorts(string key, string? value, List<string> errors)
    {
        foreach (var port in Split(value))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                errors.Add($"{key}: '{port}' is not a port number; expected 1..65535 (several separated by ';').");
            }
        }
    }

    /// <summary>Kestrel's wildcard hosts (<c>*</c>, <c>+</c>) are accepted; anything else must parse as an absolute URI whose port, when given, is a number.</summary>
    private static bool IsValidUrl(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return false;
        var scheme = url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase)) return false;
        var rest = url[(schemeEnd + 3)..];
        if (rest.StartsWith('*') || rest.StartsWith('+')) rest = "0.0.0.0" + rest[1..];
        if (!Uri.TryCreate($"{scheme}://{rest}", UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown) return false;
        var authority = rest.Split('/')[0];
        if (authority.LastIndexOf(':') <= authority.LastIndexOf(']')) return true; // no port: 80 or 443
        var portText = authority[(authority.LastIndexOf(':') + 1)..];
        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535;
    }
}
