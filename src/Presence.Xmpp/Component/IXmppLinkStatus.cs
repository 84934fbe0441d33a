namespace Presence.Xmpp.Component;


/// <summary>Observable link status (registered as a singleton by the component's hosting).</summary>
public interface IXmppLinkStatus
{
    /// <summary>The current picture.</summary>
    XmppLinkSnapshot Current { get; }

    /// <summary>Raised after every state change and at most once a second for counter changes.</summary>
    event Action<XmppLinkSnapshot>? Changed;
}
