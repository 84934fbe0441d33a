namespace Presence.Web.Metrics;

/// <summary>Metrics settings, section <c>Presence:Metrics</c>.</summary>
internal sealed class MetricsOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Metrics";

    /// <summary>Serve <c>/metrics</c> (default <c>true</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Let any client read <c>/metrics</c> (default <c>false</c>: only loopback callers, others get 403). Set it when a
    /// Prometheus server on another machine scrapes the service, and restrict access at the network instead.
    /// </summary>
    public bool AllowRemote { get; set; }
}
