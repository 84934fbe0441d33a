namespace Presence.Web.Configuration;

/// <summary>
/// Where the service listens: the host's own root keys <c>urls</c> (<c>ASPNETCORE_URLS</c>, <c>--urls</c>, <c>Urls</c>),
/// <c>http_ports</c> (<c>ASPNETCORE_HTTP_PORTS</c>) and <c>https_ports</c> (<c>ASPNETCORE_HTTPS_PORTS</c>), read by
/// Kestrel; bound here only so a value that does not parse stops the service instead of binding another address.
/// </summary>
internal sealed class ListenAddressOptions
{
    /// <summary>The address used when none of the keys (nor <c>Kestrel:Endpoints</c>) is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary><c>;</c>-separated absolute <c>http</c>/<c>https</c> URLs with a port 1..65535 (host may be <c>*</c> or <c>+</c>), or <c>null</c>.</summary>
    public string? Urls { get; set; }

    /// <summary><c>;</c>-separated port numbers 1..65535, or <c>null</c>.</summary>
    [ConfigurationKeyName("http_ports")]
    public string? HttpPorts { get; set; }

    /// <summary><c>;</c>-separated port numbers 1..65535, or <c>null</c>.</summary>
    [ConfigurationKeyName("https_ports")]
    public string? HttpsPorts { get; set; }

    /// <summary>
    /// Listens on <see cref="DefaultUrl"/> when no listen address is configured at all (ASP.NET Core's own default
    /// would be every interface on port 5000/8080); any configured address is left to Kestrel.
    /// </summary>
    public static WebApplicationBuilder UseDefaultListenAddress(WebApplicationBuilder builder)
    {
        var c = builder.Configuration;
        var configured = !string.IsNullOrWhiteSpace(c["urls"]) || !string.IsNullOrWhiteSpace(c["http_ports"])
                         || !string.IsNullOrWhiteSpace(c["https_ports"]) || c.GetSection("Kestrel:Endpoints").Exists();
        if (!configured) builder.WebHost.UseUrls(DefaultUrl);
        return builder;
    }
}
