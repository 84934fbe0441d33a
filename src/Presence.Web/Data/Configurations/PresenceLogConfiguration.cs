using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data.Configurations;

/// <summary>Table <c>PresenceLog</c>: the numbered change log, indexed for "entries after n" and "last entry of a user's protocol".</summary>
public sealed class PresenceLogConfiguration : IEntityTypeConfiguration<PresenceLogRow>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<PresenceLogRow> b)
    {
        b.ToTable("PresenceLog");
        b.HasKey(x => x.Sequence);
        b.Property(x => x.Sequence).ValueGeneratedOnAdd();
        b.Property(x => x.Node).HasMaxLength(128);
        b.Property(x => x.UserId).HasMaxLength(PresenceDbContext.UserIdMaxLength);
        b.Property(x => x.Protocol).HasMaxLength(32);
        b.Property(x => x.Cause).HasMaxLength(32);
        b.HasIndex(x => new { x.UserId, x.Protocol, x.Sequence }).HasDatabaseName("IX_PresenceLog_UserId_Protocol_Sequence");
        b.HasIndex(x => x.At).HasDatabaseName("IX_PresenceLog_At");
    }
}
