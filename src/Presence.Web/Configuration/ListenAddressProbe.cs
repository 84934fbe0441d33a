using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Presence.Web.Configuration;

/// <summary>
/// Checks, before the host starts, that every address the service will listen on can be bound: an address already in
/// use (another instance, another program) stops the service with one line naming the port and address.
/// </summary>
/// <remarks>
/// Kestrel binds its addresses only after every hosted service has started, and the database start-up (migrations,
/// state restore) is such a service: without this probe a busy port was found after the database had been created or
/// migrated, and ended the process with an unhandled exception. The probe binds each address once and releases it at
/// once; a port taken by another process between the probe and Kestrel's bind still fails the start, the old way.
/// </remarks>
public static class ListenAddressProbe
{
    /// <summary>Exit code of a start refused because an address cannot be bound (the same as for invalid configuration).</summary>
    public const int ExitCode = StartupValidation.InvalidConfigurationExitCode;

    /// <summary>
    /// The addresses Kestrel will bind for <paramref name="configuration"/> (<c>Kestrel:Endpoints:*:Url</c>, else
    /// <c>urls</c>, else <c>http_ports</c>/<c>https_ports</c>, else <see cref="ListenAddressOptions.DefaultUrl"/>) that
    /// cannot be bound now, one sentence each; empty when all can.
    /// </summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (host, port) in Endpoints(configuration).Distinct())
        {
            if (port == 0) continue; // a dynamic port is always free
            foreach (var address in Addresses(host))
            {
                if (TryBind(address, port) is { } error)
                {
                    problems.Add(Describe(error, address, port));
                    break;
                }
            }
        }
        return problems.Distinct().ToList();
    }

    /// <summary>Writes one line per problem to <paramref name="error"/>; <c>true</c> when every address can be bound.</summary>
    public static bool Passes(IConfiguration configuration, TextWriter error)
    {
        var problems = Problems(configuration);
        foreach (var line in problems) error.WriteLine($"Cannot start: {line}");
        error.Flush();
        return problems.Count == 0;
    }

    private static string Describe(SocketError error, IPAddress address, int port)
    {
        var where = address.Equals(IPAddress.IPv6Any) ? "every address" : address.ToString();
        return error switch
        {
            SocketError.AddressAlreadyInUse =>
                $"port {port} on {where} is already in use by another process; stop it, or listen elsewhere with Urls (ASPNETCORE_URLS, --urls), e.g. --urls http://127.0.0.1:{(port < 65535 ? port + 1 : 5080)}.",
            SocketError.AccessDenied =>
                $"port {port} on {where} may not be opened by this user (ports below 1024 need privileges); listen on a port above 1023 with Urls (ASPNETCORE_URLS, --urls).",
            SocketError.AddressNotAvailable =>
                $"{where} is not an address of this machine, so port {port} cannot be opened on it; choose another address with Urls (ASPNETCORE_URLS, --urls).",
            _ => $"port {port} on {where} cannot be opened ({error}).",
        };
    }

    private static SocketError? TryBind(IPAddress address, int port)
    {
        try
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.Equals(IPAddress.IPv6Any)) socket.DualMode = true; // as Kestrel binds a wildcard host
            // Connections of a previous run in TIME_WAIT do not stop a restart (Linux refuses a bind with SO_REUSEADDR only
            // while another socket listens on the address, which is what the probe is for).
            if (!OperatingSystem.IsWindows()) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            return null;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressFamilyNotSupported || (address.Equals(IPAddress.IPv6Loopback) && ex.SocketErrorCode is SocketError.AddressNotAvailable))
        {
            return null; // no IPv6 on this machine: Kestrel skips it too
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode;
        }
    }

    /// <summary>Kestrel's reading of a host: <c>localhost</c> is both loopbacks, an IP literal itself, anything else every address.</summary>
    private static IEnumerable<IPAddress> Addresses(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(literal, out var ip)) return [ip];
        return Socket.OSSupportsIPv6 ? [IPAddress.IPv6Any] : [IPAddress.Any];
    }

    private static IEnumerable<(string Host, int Port)> Endpoints(IConfiguration c)
    {
        var kestrel = c.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>().ToList();
        var urls = kestrel.Count > 0 ? kestrel : Split(c["urls"]).ToList();
        if (urls.Count == 0)
        {
            urls.AddRange(Split(c["http_ports"]).Select(p => $"http://*:{p}"));
            urls.AddRange(Split(c["https_ports"]).Select(p => $"https://*:{p}"));
        }
        if (urls.Count == 0) urls.Add(ListenAddressOptions.DefaultUrl);
        foreach (var url in urls)
        {
            if (Parse(url) is { } endpoint) yield return endpoint;
        }
    }

    private static IEnumerable<string> Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Host and port of a listen URL; <c>null</c> for what Kestrel does not bind to a TCP port (e.g. <c>http://unix:/…</c>).</summary>
    private static (string Host, int Port)? Parse(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0) return null;
        var https = url[..schemeEnd].Equals("https", StringComparison.OrdinalIgnoreCase);
        var authority = url[(schemeEnd + 3)..].Split('/')[0];
        if (authority.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || authority.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase)) return null;
        var colon = authority.LastIndexOf(':');
        if (colon <= authority.LastIndexOf(']')) return (authority, https ? 443 : 80);
        return int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (authority[..colon], port)
            : null;
    }
}
