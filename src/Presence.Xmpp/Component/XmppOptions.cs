using System.ComponentModel.DataAnnotations;

namespace Presence.Xmpp.Component;

/// <summary>
/// Configuration of the pubpresence external component, section <c>Presence:Xmpp</c> (DESIGN §9).
/// Values left empty derive from <see cref="Domain"/>.
/// </summary>
public sealed class XmppOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Presence:Xmpp";

    /// <summary>Run the component (<c>Presence:Xmpp:Enabled</c>, default <c>false</c>).</summary>
    public bool Enabled { get; set; }

    /// <summary>The Jabber server's domain (<c>$domain$</c>), default <c>localhost</c>.</summary>
    [Required]
    public string Domain { get; set; } = "localhost";

    /// <summary>The component's JID; empty means <c>pubpresence.{Domain}</c>.</summary>
    public string? ComponentJid { get; set; }

    /// <summary>Host of the server's component listener (XEP-0114), default <c>127.0.0.1</c>.</summary>
    [Required]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port of the server's component listener, 1..65535, default 5347.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 5347;

    /// <summary>Component secret shared with the server (required when <see cref="Enabled"/>).</summary>
    public string? Secret { get; set; }

    /// <summary>The pubsub service JID; empty means <c>pubsub.{Domain}</c>.</summary>
    public string? PubSubService { get; set; }

    /// <summary>The pubsub node (seed 000), default <c>pubpresence</c>.</summary>
    [Required]
    public string Node { get; set; } = "pubpresence";

    /// <summary>Interval between XEP-0199 pings to each resource, default 1 minute.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Time a resource has to answer a ping before it is annotated connection-paused, default 15 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The effective component JID.</summary>
    public string EffectiveComponentJid => string.IsNullOrWhiteSpace(ComponentJid) ? "pubpresence." + Domain : ComponentJid!;

    /// <summary>The effective pubsub service JID.</summary>
    public string EffectivePubSubService => string.IsNullOrWhiteSpace(PubSubService) ? "pubsub." + Domain : PubSubService!;
}
