; Multicast Chat: additions to electron-builder's NSIS installer (electron-builder.yml: nsis.include).
;
; A room receives UDP datagrams sent to a multicast group. Windows Defender Firewall drops inbound
; UDP for a program that no rule allows, so without one a Windows peer sends but hears nothing.
; The installer adds one rule: inbound UDP, for the installed executable only, on Private and
; Domain networks. The uninstaller removes it; an update (the old uninstaller runs with --updated)
; keeps it, and the new installer replaces it.
;
; Not on Public networks. Public is Windows' profile for networks it does not trust, and the one
; it gives a network nobody classified. Opening the chat's receive path there without asking would
; let everyone on a cafe's Wi-Fi reach it; instead the app (and `mcchat doctor`) say when Windows
; files the network as Public, and the user decides: make a network they trust Private.
;
; The rule has its own name, "Multicast Chat (installer)", not the app's: rules Windows creates
; from its own "allow access" prompt are named after the program, and may be a block the user
; chose. Deleting by this name touches only what the installer added.
;
; netsh needs administrator rights: electron-builder.yml sets nsis.perMachine, so the installer and
; the uninstaller run elevated (one UAC prompt each). Without the rule Windows asks an administrator
; when the app first starts, and creates block rules when nobody allows it (a standard user is not
; even asked), so a per-user install could not let multicast in. Should netsh still refuse, the
; installer says so and goes on.

!macro customInstall
  Push $0
  ; Replace, not add: netsh would keep a second rule of the same name on a reinstall.
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Multicast Chat (installer)" dir=in'
  Pop $0
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="Multicast Chat (installer)" dir=in action=allow program="$INSTDIR\${APP_EXECUTABLE_FILENAME}" protocol=UDP profile=private,domain enable=yes description="Lets Multicast Chat receive room messages (UDP multicast) on private and domain networks. Added by its installer, removed by its uninstaller."'
  Pop $0
  ${if} $0 != 0
    DetailPrint "Windows Firewall rule not added (netsh: $0)."
    MessageBox MB_OK|MB_ICONINFORMATION "Windows Firewall did not accept the rule that lets Multicast Chat receive messages (netsh: $0).$\r$\n$\r$\nWhen Multicast Chat first starts, Windows asks whether to allow it (an administrator has to answer): allow it on private networks. docs/packaging.md has the details." /SD IDOK
  ${else}
    DetailPrint "Windows Firewall: Multicast Chat may receive UDP on private and domain networks."
  ${endif}
  Pop $0
!macroend

!macro customUnInstall
  ${ifNot} ${isUpdated}
    Push $0
    nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="Multicast Chat (installer)" dir=in'
    Pop $0
    Pop $0
  ${endif}
!macroend
