namespace Presence.Xmpp.Xml;

/// <summary>
/// Bounds on the XML stream (docs/ARCHITECTURE.md §7): stanza size and depth the reader accepts from the server, and how many
/// stanzas and bytes may wait to be written to it (<see cref="MaxQueuedStanzas"/>, <see cref="MaxQueuedBytes"/>).
/// </summary>
/// <param name="MaxStanzaBytes">Largest stanza in bytes read from the socket (and characters parsed), ≥ 1024. Default 4 MiB:
/// the admin command listing every online session (XEP-0133) is the largest stanza a server sends the component.</param>
/// <param name="MaxDepth">Deepest element nesting inside a stanza (the stanza itself is depth 1), ≥ 2. Default 32.</param>
public sealed record XmlStreamLimits(int MaxStanzaBytes = 4 * 1024 * 1024, int MaxDepth = 32)
{
    /// <summary>The defaults.</summary>
    public static XmlStreamLimits Default { get; } = new();

    /// <summary>
    /// Most stanzas queued for writing to the server, ≥ 16, default 100,000 (<c>Presence:Xmpp:OutboundQueueCapacity</c>).
    /// A server that stops reading fills the queue; the connection is then dropped (and the component reconnects)
    /// instead of growing memory.
    /// </summary>
    public int MaxQueuedStanzas { get; init; } = 100_000;

    /// <summary>
    /// Most memory held by stanzas queued for writing to the server, in bytes of their serialized text (2 per UTF-16
    /// character), ≥ 1 MiB, default 64 MiB (<c>Presence:Xmpp:OutboundQueueBytes</c>). A stanza count alone does not bound
    /// memory: a pubsub item carries up to 64 resources with status messages of up to 10,000 characters each. When a
    /// stanza would take the queue beyond this bound the connection is dropped like for <see cref="MaxQueuedStanzas"/>;
    /// a single larger stanza is still queued when the queue is empty.
    /// </summary>
    public long MaxQueuedBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Bytes the parser may have read ahead of the stanza it is building (its buffer), allowed on top of <see cref="MaxStanzaBytes"/>.</summary>
    internal const int ReadAheadSlack = 64 * 1024;
}
