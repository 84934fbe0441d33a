namespace Presence.Web.Data.Entities;

/// <summary>A bare JID subscribed to the component's presence (table <c>ComponentSubscribers</c>; RFC 6121 §3).</summary>
public sealed class ComponentSubscriberRow
{
    /// <summary>Normalised bare JID (primary key).</summary>
    public string BareJid { get; set; } = "";

    /// <summary>When the subscription was recorded (UTC).</summary>
    public DateTimeOffset Since { get; set; }
}
