using Microsoft.Extensions.Options;
using Presence.Domain.Model;

namespace Presence.Web.Configuration;

/// <summary>Checks <c>Presence:Protocols</c>: valid names, at most <see cref="ProtocolOptions.MaxProtocols"/>, and only <c>xmpp</c> written by the component.</summary>
internal sealed class ProtocolOptionsValidator : IValidateOptions<ProtocolOptions>
{
    public ValidateOptionsResult Validate(string? name, ProtocolOptions o)
    {
        if (o.Protocols.Count > ProtocolOptions.MaxProtocols)
            return ValidateOptionsResult.Fail($"Presence:Protocols has {o.Protocols.Count} entries; at most {ProtocolOptions.MaxProtocols} are allowed.");
        foreach (var (protocol, definition) in o.Protocols)
        {
            if (Protocols.Validate(protocol) is { } bad) return ValidateOptionsResult.Fail($"Presence:Protocols:{protocol}: {bad}.");
            if (definition.WrittenBy == ProtocolWriter.Component && protocol != Protocols.Xmpp)
                return ValidateOptionsResult.Fail($"Presence:Protocols:{protocol}:WrittenBy may be Component only for xmpp (the component writes nothing else).");
            if (protocol == Protocols.Xmpp && definition.WrittenBy != ProtocolWriter.Component)
                return ValidateOptionsResult.Fail("Presence:Protocols:xmpp:WrittenBy must be Component (XMPP presence comes from the XMPP server).");
        }
        return ValidateOptionsResult.Success;
    }
}
