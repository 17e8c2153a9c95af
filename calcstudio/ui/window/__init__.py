"""The main window and its wiring: menus, dialogs, session files, the engine's Qt adapter."""
