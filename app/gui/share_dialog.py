"""Choosing what to give: a tick per value before a profile is exported or shown as a code, and the code itself.

Stature is always ticked (the avatar at the other end is scaled to it); whatever is left unticked
stays out, and the other end fills it with plausible values as it does for typed measurements.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from avatar.measurements import MEASUREMENTS
from avatar.portable import SEX_FIELD, PortableProfile, describe


def value_text(profile: PortableProfile, name: str) -> str:
    """The tick's text: "Height: 165 cm", "Chest / bust: 92 ± 1.5 cm", "Sex: female"."""
    if name == SEX_FIELD:
        return f"Sex: {profile.sex}"
    one = PortableProfile({name: profile.measurements[name]}, None,
                          {k: v for k, v in profile.uncertainty.items() if k == name})
    return f"{MEASUREMENTS[name].label}: {describe(one).split(' ', 1)[1]}"


class ChooseValuesDialog(QDialog):
    """A tick per value of ``profile``; :meth:`chosen` is the profile with the ticked values only.

    Parameters
    ----------
    profile : what could be given
    action : the accept button's text ("Export…", "Show code")
    """

    def __init__(self, profile: PortableProfile, action: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Choose what to give")
        self.profile = profile
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the values to give. What you leave out stays with you;\n"
                                "the other side fills it in with typical values."))
        self.boxes: dict[str, QCheckBox] = {}
        for name in profile.fields():
            box = QCheckBox(value_text(profile, name))
            box.setObjectName(f"give_{name}")
            box.setChecked(True)
            if name == "stature":
                box.setEnabled(False)
                box.setToolTip("Always given: the avatar is scaled to your height")
            layout.addWidget(box)
            self.boxes[name] = box
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.accept_button = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def set_ticked(self, names) -> None:
        """Tick exactly ``names`` (stature stays ticked)."""
        for name, box in self.boxes.items():
            box.setChecked(name == "stature" or name in names)

    def chosen(self) -> PortableProfile:
        return self.profile.only([n for n, box in self.boxes.items() if box.isChecked()])


class CodeDialog(QDialog):
    """A profile code to show to a kiosk's camera, with what it holds written under it."""

    def __init__(self, profile: PortableProfile, parent: QWidget | None = None):
        super().__init__(parent)
        from avatar.profile_qr import code_png, make_code

        self.setWindowTitle("Your profile code")
        layout = QVBoxLayout(self)
        self.code_label = QLabel()
        self.code_label.setObjectName("profileCode")
        self.code_label.setPixmap(QPixmap.fromImage(_png_image(code_png(profile, scale=8))))
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setStyleSheet("background:white;")
        layout.addWidget(self.code_label)
        self.summary = QLabel(describe(profile))
        self.summary.setObjectName("profileCodeSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        code = make_code(profile)
        note = QLabel(f"Show this code to the fitting room's camera. It holds only these values "
                      f"(QR version {code.version}), no name, photo or body shape.")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _png_image(data: bytes):
    from PySide6.QtGui import QImage

    return QImage.fromData(data, "PNG")
