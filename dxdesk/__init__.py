"""dxdesk — DX計画の進捗照会・回収・点検・集約（ドメインと入出力。PySide6 は import しない）。"""

__version__ = "0.1.0"
