using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Presence.Web.Data.Entities;

namespace Presence.Web.Data.Configurations;

/// <summary>Table <c>Users</c>.</summary>
internal sealed class UserConfiguration : IEntityTypeConfiguration<UserRow>
{
    /// <inheritdoc />
    public void Configure(EntityTypeBuilder<UserRow> b)
    {
        b.ToTable("Users");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(PresenceDbContext.UserIdMaxLength);
        b.HasMany(x => x.Protocols).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Resources).WithOne().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
