using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Membership.Data.Migrations
{
    /// <inheritdoc />
    public partial class DecisionsThatChangeTheCommittee : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Decisions recorded before this migration were all taken to confirm the committee: keep that reading.
            migrationBuilder.AddColumn<bool>(
                name: "changes_committee",
                table: "committee_decisions",
                type: "boolean",
                nullable: false,
                defaultValue: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "changes_committee",
                table: "committee_decisions");
        }
    }
}
