using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data.Configurations;

/// <summary>Table <c>History</c> (append-only; indexed by user and time, and by time for retention pruning).</summary>
internal sealed class HistoryConfiguration : IEntityTypeConfiguration<HistoryRow>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<HistoryRow> b)
    {
        b.ToTable("History");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedOnAdd();
        b.Property(x => x.UserId).HasMaxLength(PresenceDbContext.UserIdMaxLength);
        b.Property(x => x.Protocol).HasMaxLength(32);
        b.Property(x => x.State).HasMaxLength(16);
        b.Property(x => x.Show).HasMaxLength(16);
        b.Property(x => x.AnnotationKind).HasMaxLength(32);
        b.Property(x => x.Cause).HasMaxLength(32);
        b.HasIndex(x => new { x.UserId, x.At }).HasDatabaseName("IX_History_UserId_At");
        b.HasIndex(x => x.At).HasDatabaseName("IX_History_At");
    }
}
