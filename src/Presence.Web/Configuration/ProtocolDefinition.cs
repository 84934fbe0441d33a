namespace Presence.Web.Configuration;

/// <summary>One entry of <c>Presence:Protocols</c>.</summary>
internal sealed class ProtocolDefinition
{
    /// <summary>Who may set this protocol's status (default <see cref="ProtocolWriter.Api"/>).</summary>
    public ProtocolWriter WrittenBy { get; set; } = ProtocolWriter.Api;
}
