using System.ComponentModel.DataAnnotations;

namespace Presence.Xmpp.Component;

/// <summary>
/// Configuration of the pubpresence external component, section <c>Presence:Xmpp</c> (docs/ARCHITECTURE.md §11).
/// Values left empty derive from <see cref="Domain"/>.
/// </summary>
public sealed class XmppOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Presence:Xmpp";

    /// <summary>Run the component (<c>Presence:Xmpp:Enabled</c>, default <c>false</c>).</summary>
    public bool Enabled { get; set; }

    /// <summary>The Jabber server's domain (<c>$domain$</c>), default <c>localhost</c>.</summary>
    [Required(ErrorMessage = "Presence:Xmpp:Domain is required.")]
    public string Domain { get; set; } = "localhost";

    /// <summary>The component's JID; empty means <c>pubpresence.{Domain}</c>.</summary>
    public string? ComponentJid { get; set; }

    /// <summary>Host of the server's component listener (XEP-0114), default <c>127.0.0.1</c>.</summary>
    [Required(ErrorMessage = "Presence:Xmpp:Host is required.")]
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Port of the server's component listener, 1..65535, default 5347.</summary>
    [Range(1, 65535, ErrorMessage = "Presence:Xmpp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 5347;

    /// <summary>Component secret shared with the server (required when <see cref="Enabled"/>).</summary>
    public string? Secret { get; set; }

    /// <summary>The pubsub service JID; empty means <c>pubsub.{Domain}</c>.</summary>
    public string? PubSubService { get; set; }

    /// <summary>The pubsub node, default <c>pubpresence</c>.</summary>
    [Required(ErrorMessage = "Presence:Xmpp:Node is required.")]
    public string Node { get; set; } = "pubpresence";

    /// <summary>Interval between XEP-0199 pings to each resource, default 1 minute.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Time a resource has to answer a ping before it is annotated connection-paused, default 15 s.</summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Interval between XEP-0199 pings to the server that keep the link checked, default 2 s (a dead link is noticed within interval + timeout).</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time the server has to answer a keepalive ping before the link is considered dead, default 3 s.</summary>
    public TimeSpan KeepaliveTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Time allowed for the TCP connection, stream header and handshake, default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Delay before the first reconnect attempt, default 1 s (doubled per failure, with jitter).</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap of the reconnect delay, default 60 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most pubsub publish/retract iqs awaiting their answer at once (XEP-0060 §7.1), 1..1024, default 64.</summary>
    [Range(1, 1024)]
    public int PublishWindow { get; set; } = 64;

    /// <summary>Time an iq request (pubsub, admin command) may wait for its answer, default 30 s.</summary>
    public TimeSpan IqTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Repopulation after a (re)connect ends once every probed subscriber answered, or once nothing new arrived for this
    /// long — no first presence of a user not heard from since the connect, no probe answer, no user listed by the
    /// online-session audit (presences of users already heard from do not count) — and the node's publishes are
    /// acknowledged; default 500 ms.
    /// </summary>
    public TimeSpan RepopulationQuietPeriod { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait for probe answers or new presences before repopulation ends anyway, default 30 s.</summary>
    public TimeSpan RepopulationMaxWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest wait after the handshake for the server's XEP-0356 permission advertisement (§4.2) before the component
    /// falls back to subscription mode, default 1 s. Servers that grant permissions send it at once.
    /// </summary>
    public TimeSpan PrivilegeWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Privileged mode on a server that lists its online sessions (ejabberd's disco#items node <c>online users</c>,
    /// XEP-0133 admin): how often the component asks for the list, to retract users whose session ended without a
    /// forwarded <c>unavailable</c>. Default 2 s, at most 1 minute. ejabberd 23.01 forwards no presence to the component
    /// when a session ends (measured: nothing after a clean close or a TCP cut, and its XEP-0356 roster set that could
    /// give the component a <c>from</c> subscription fails with internal-server-error; docs/LOCAL_XMPP.md), so this
    /// interval plus one request's round trip is how long such a user stays published there. One request per interval,
    /// its answer one item per online session. Servers that forward the <c>unavailable</c> (Prosody 0.12) answer the
    /// first request with an error, and the component stops asking.
    /// </summary>
    public TimeSpan SessionAuditInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The node's <c>pubsub#max_items</c> (XEP-0060 §16.4.4): a number or <c>max</c> (the server's cap), default <c>max</c>.</summary>
    [Required]
    public string NodeMaxItems { get; set; } = "max";

    /// <summary>Ask the server for each new session's IP through XEP-0133 admin commands, default <c>true</c>.</summary>
    public bool SessionDetails { get; set; } = true;

    /// <summary>Timeout of a reverse DNS lookup of a session's IP, default 2 s.</summary>
    public TimeSpan ReverseDnsTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest stanza accepted from the server in bytes, 1 KiB..64 MiB, default 4 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxStanzaBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Most stanzas waiting to be written to the server, 16..10,000,000, default 100,000. When a server stops reading
    /// and the queue is full, the connection is dropped and re-established rather than memory growing. Keep it above
    /// the number of subscribers: every (re)connect probes them all at once.
    /// </summary>
    [Range(16, 10_000_000, ErrorMessage = "Presence:Xmpp:OutboundQueueCapacity must be between 16 and 10000000 stanzas.")]
    public int OutboundQueueCapacity { get; set; } = 100_000;

    /// <summary>
    /// Most memory held by stanzas waiting to be written to the server, in bytes of their serialized text (2 per UTF-16
    /// character), 1 MiB..2 GiB − 1 (1,048,576..2,147,483,647), default 64 MiB (67,108,864). Bounds the queue when
    /// stanzas are large (a pubsub item carries every resource's status message); reaching it drops and re-establishes
    /// the connection like <see cref="OutboundQueueCapacity"/>.
    /// </summary>
    [Range(1024 * 1024, int.MaxValue, ErrorMessage = "Presence:Xmpp:OutboundQueueBytes must be between 1048576 and 2147483647 bytes.")]
    public int OutboundQueueBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>The effective component JID.</summary>
    public string EffectiveComponentJid => string.IsNullOrWhiteSpace(ComponentJid) ? "pubpresence." + Domain : ComponentJid!;

    /// <summary>The effective pubsub service JID.</summary>
    public string EffectivePubSubService => string.IsNullOrWhiteSpace(PubSubService) ? "pubsub." + Domain : PubSubService!;
}
