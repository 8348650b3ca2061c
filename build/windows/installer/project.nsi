Unicode true
# A 64-bit installer for a 64-bit app: it also runs under wine64 alone, where the test installs it.
Target amd64-unicode

####
## Reelvault's installer, started from Wails' template (`wails build -platform windows/amd64 -nsis`
## writes wails_tools.nsh next to this file from wails.json; `make dist` runs it). Differences from the
## template: the executable keeps its lower-case name, the output name carries the version, and videos
## get Reelvault in "Open with" (OpenWithProgids) without Reelvault taking over as their default app.
####
!define PRODUCT_EXECUTABLE "reelvault.exe"
!define UNINST_KEY_NAME    "Reelvault"
!define PROGID             "Reelvault.Video"

!include "wails_tools.nsh"

# The version information for these two must consist of 4 parts
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

ManifestDPIAware true

!include "MUI.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_FINISHPAGE_NOAUTOCLOSE
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_TEXT "Reelvault needs ffmpeg and ffprobe 5.1 or newer: put ffmpeg.exe and ffprobe.exe next to reelvault.exe or on PATH (for example: winget install Gyan.FFmpeg)."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

## To sign the installer and the uninstaller (the path to the binary is in %1):
#!uninstfinalize 'signtool --file "%1"'
#!finalize 'signtool --file "%1"'

Name "${INFO_PRODUCTNAME}"
OutFile "..\..\bin\reelvault-${INFO_PRODUCTVERSION}-windows-${ARCH}-setup.exe"
InstallDir "$PROGRAMFILES64\${INFO_PRODUCTNAME}"
ShowInstDetails show

# Offers Reelvault in "Open with" for one extension, leaving the default app alone.
!macro OPEN_WITH EXT
    WriteRegStr SHELL_CONTEXT "Software\Classes\.${EXT}\OpenWithProgids" "${PROGID}" ""
    WriteRegStr SHELL_CONTEXT "Software\Classes\Applications\${PRODUCT_EXECUTABLE}\SupportedTypes" ".${EXT}" ""
!macroend
!macro UN_OPEN_WITH EXT
    DeleteRegValue SHELL_CONTEXT "Software\Classes\.${EXT}\OpenWithProgids" "${PROGID}"
!macroend

Function .onInit
   !insertmacro wails.checkArchitecture
FunctionEnd

Section
    !insertmacro wails.setShellContext

    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    CreateShortCut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    WriteRegStr SHELL_CONTEXT "Software\Classes\${PROGID}" "" "Video (Reelvault)"
    WriteRegStr SHELL_CONTEXT "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${PRODUCT_EXECUTABLE},0"
    WriteRegStr SHELL_CONTEXT "Software\Classes\${PROGID}\shell\open" "" "Add to Reelvault"
    WriteRegStr SHELL_CONTEXT "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${PRODUCT_EXECUTABLE}" "%1"'
    WriteRegStr SHELL_CONTEXT "Software\Classes\Applications\${PRODUCT_EXECUTABLE}\shell\open\command" "" '"$INSTDIR\${PRODUCT_EXECUTABLE}" "%1"'
    !insertmacro OPEN_WITH mp4
    !insertmacro OPEN_WITH mov
    !insertmacro OPEN_WITH m4v
    !insertmacro OPEN_WITH mkv
    !insertmacro OPEN_WITH webm
    !insertmacro OPEN_WITH avi
    !insertmacro OPEN_WITH mxf
    !insertmacro OPEN_WITH mts
    !insertmacro OPEN_WITH m2ts
    !insertmacro OPEN_WITH mpg
    !insertmacro OPEN_WITH mpeg
    !insertmacro OPEN_WITH wmv
    !insertmacro OPEN_WITH flv
    !insertmacro OPEN_WITH 3gp
    !insertmacro OPEN_WITH ogv
    !insertmacro OPEN_WITH dv

    !insertmacro wails.writeUninstaller
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext

    # The WebView2 cache; the archive itself (videos, database) is the user's and stays.
    RMDir /r "$AppData\${PRODUCT_EXECUTABLE}"

    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    RMDir "$INSTDIR"

    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"

    !insertmacro UN_OPEN_WITH mp4
    !insertmacro UN_OPEN_WITH mov
    !insertmacro UN_OPEN_WITH m4v
    !insertmacro UN_OPEN_WITH mkv
    !insertmacro UN_OPEN_WITH webm
    !insertmacro UN_OPEN_WITH avi
    !insertmacro UN_OPEN_WITH mxf
    !insertmacro UN_OPEN_WITH mts
    !insertmacro UN_OPEN_WITH m2ts
    !insertmacro UN_OPEN_WITH mpg
    !insertmacro UN_OPEN_WITH mpeg
    !insertmacro UN_OPEN_WITH wmv
    !insertmacro UN_OPEN_WITH flv
    !insertmacro UN_OPEN_WITH 3gp
    !insertmacro UN_OPEN_WITH ogv
    !insertmacro UN_OPEN_WITH dv
    DeleteRegKey SHELL_CONTEXT "Software\Classes\${PROGID}"
    DeleteRegKey SHELL_CONTEXT "Software\Classes\Applications\${PRODUCT_EXECUTABLE}"

    !insertmacro wails.deleteUninstaller
    RMDir "$INSTDIR"
SectionEnd
