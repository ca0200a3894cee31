"""What several pages share: session state, navigation, the sidebar, lesson bodies, figure blocks, quiz widgets."""
