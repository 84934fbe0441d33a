using Presence.Domain.Model;

namespace Presence.Domain.Tracking;

/// <summary>
/// An input to <see cref="PresenceTracker.Apply(PresenceUpdate)"/>. Inputs are validated by their sources
/// (API, XMPP handler); the tracker still refuses inconsistent ones with <see cref="ArgumentException"/>.
/// </summary>
/// <param name="User">Whose presence.</param>
/// <param name="Cause">Why it changes.</param>
public abstract record PresenceUpdate(UserId User, ChangeCause Cause)
{
    /// <summary>The protocol this update touches.</summary>
    public abstract string Protocol { get; }
}

/// <summary>
/// Sets a non-XMPP protocol's status (e.g. spreed through the zarafa API). Clears its annotation: a fresh
/// status is current. Applying the same status again is a refresh (no change, but the expiry restarts).
/// </summary>
/// <param name="User">Whose presence.</param>
/// <param name="ProtocolName">Protocol name (validated by <see cref="Protocols.Validate"/>; not <c>xmpp</c>).</param>
/// <param name="State">New state.</param>
/// <param name="Message">Status message; empty for none.</param>
/// <param name="Cause">Why it changes.</param>
public sealed record ProtocolStatusUpdate(UserId User, string ProtocolName, PresenceState State, string Message, ChangeCause Cause = ChangeCause.Api)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => ProtocolName;
}

/// <summary>An XMPP resource is available (RFC 6121 §4.7 presence without type). Clears its annotation.</summary>
/// <param name="User">Bare JID of the sender.</param>
/// <param name="Resource">Resource of the sender's full JID.</param>
/// <param name="Show">Availability.</param>
/// <param name="Priority">Priority, clamped to −128..127.</param>
/// <param name="Message">Status text; empty for none.</param>
/// <param name="Cause">Usually <see cref="ChangeCause.XmppPresence"/>.</param>
public sealed record ResourceAvailableUpdate(UserId User, string Resource, XmppShow Show, int Priority, string Message, ChangeCause Cause = ChangeCause.XmppPresence)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => Model.Protocols.Xmpp;
}

/// <summary>
/// An XMPP resource went unavailable (RFC 6121 §4.5): it is removed. <paramref name="Resource"/> <c>null</c>
/// removes all resources of the user.
/// </summary>
/// <param name="User">Bare JID.</param>
/// <param name="Resource">The resource, or <c>null</c> for all.</param>
/// <param name="Message">Status text of the unavailable presence (kept as the XMPP message when no resource is left).</param>
/// <param name="Cause">Why.</param>
public sealed record ResourceUnavailableUpdate(UserId User, string? Resource, string Message = "", ChangeCause Cause = ChangeCause.XmppPresence)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => Model.Protocols.Xmpp;
}

/// <summary>Session details of an available resource (XEP-0133 admin commands, reverse DNS). <c>null</c> keeps a value.</summary>
/// <param name="User">Bare JID.</param>
/// <param name="Resource">Resource.</param>
/// <param name="Ip">IP address text, or <c>null</c> to keep.</param>
/// <param name="Hostname">Host name, or <c>null</c> to keep.</param>
public sealed record ResourceDetailsUpdate(UserId User, string Resource, string? Ip, string? Hostname)
    : PresenceUpdate(User, ChangeCause.SessionDetails)
{
    /// <inheritdoc />
    public override string Protocol => Model.Protocols.Xmpp;
}

/// <summary>
/// Sets or clears (<paramref name="Annotation"/> <c>null</c>) an XEP-0310 annotation. For XMPP the annotation is
/// kept per resource (<paramref name="Resource"/>, or <c>null</c> for every resource of the user); for other
/// protocols <paramref name="Resource"/> must be <c>null</c>. A user without that protocol is left alone.
/// </summary>
/// <param name="User">Bare JID.</param>
/// <param name="ProtocolName">Protocol whose status is annotated.</param>
/// <param name="Resource">XMPP resource, or <c>null</c>.</param>
/// <param name="Annotation">The annotation, or <c>null</c> to clear.</param>
/// <param name="Cause">Why.</param>
public sealed record AnnotationUpdate(UserId User, string ProtocolName, string? Resource, StateAnnotation? Annotation, ChangeCause Cause)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => ProtocolName;
}

/// <summary>
/// Sets a reserved pseudo protocol the user sets themselves (<see cref="Protocols.Preferred"/>: the preferred presence;
/// <see cref="Protocols.StatusMessage"/>: the status message). It lasts until <paramref name="Until"/>, when the
/// <see cref="StatusDeadlineScheduler"/> clears it, or until a <see cref="ClearStatusUpdate"/>. Applying the same
/// state, message and end again changes nothing.
/// </summary>
/// <param name="User">Whose presence.</param>
/// <param name="ProtocolName"><see cref="Protocols.Preferred"/> or <see cref="Protocols.StatusMessage"/>.</param>
/// <param name="State">The preferred state; <see cref="PresenceState.Unavailable"/> for a status message (ignored there).</param>
/// <param name="Message">Message; empty for none (the caller bounds its length).</param>
/// <param name="Until">When it ends (UTC), or <c>null</c> for no end (status message only; the API always gives the preferred presence an end).</param>
/// <param name="Cause">Why it changes.</param>
public sealed record PersonalStatusUpdate(UserId User, string ProtocolName, PresenceState State, string Message, DateTimeOffset? Until, ChangeCause Cause = ChangeCause.Api)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => ProtocolName;
}

/// <summary>
/// Clears a reserved pseudo protocol (<see cref="Protocols.Preferred"/>, <see cref="Protocols.StatusMessage"/>): the
/// status is removed, so the overall state is computed from the protocols again. Nothing changes when none is set.
/// </summary>
/// <param name="User">Whose presence.</param>
/// <param name="ProtocolName"><see cref="Protocols.Preferred"/> or <see cref="Protocols.StatusMessage"/>.</param>
/// <param name="Cause"><see cref="ChangeCause.Api"/> (DELETE) or <see cref="ChangeCause.Expiry"/> (its end was reached).</param>
public sealed record ClearStatusUpdate(UserId User, string ProtocolName, ChangeCause Cause = ChangeCause.Api)
    : PresenceUpdate(User, Cause)
{
    /// <inheritdoc />
    public override string Protocol => ProtocolName;
}
